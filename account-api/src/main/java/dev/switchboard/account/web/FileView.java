package dev.switchboard.account.web;

import dev.switchboard.proto.FileRef;

/** The file a FILE message carries; {@code sha256} is hex. */
public record FileView(String fileId, String name, long size, String mime, String sha256) {

  static FileView of(FileRef file) {
    return new FileView(
        file.getFileId(), file.getName(), file.getSize(), file.getMime(), file.getSha256());
  }
}
