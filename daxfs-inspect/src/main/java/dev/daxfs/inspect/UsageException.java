package dev.daxfs.inspect;

/** A request that cannot be met as asked (unknown branch, missing path): exit status 1. */
final class UsageException extends RuntimeException {
  UsageException(String message) {
    super(message);
  }
}
