/**
 * How a private file or directory is kept to the current user where mode bits mean nothing
 * (Windows: an ACL). POSIX needs none: private-file.ts creates with 0600 / 0700.
 */
export interface FileProtection {
  /** Called on a new, still empty file, before any byte is written into it. */
  restrictFile(path: string): void;
  /** Called on each directory as it is created; files created in it inherit the restriction. */
  restrictDirectory(path: string): void;
}
