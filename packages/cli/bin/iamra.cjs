#!/usr/bin/env node
// The installed `iamra`: the bundled CLI, entered as CommonJS (the fastest start Node offers).
require('../bundle/index.js');
