package dev.firemesh.proxy.telemetry;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Where the access log's writer thread puts lines; used by that thread only. */
interface LogSink extends AutoCloseable {

  void write(byte[] line) throws IOException;

  void flush() throws IOException;

  @Override
  void close() throws IOException;

  /** Standard output, left open on close (the process owns it). */
  static LogSink stdout() {
    OutputStream out = new FileOutputStream(FileDescriptor.out);
    return new LogSink() {
      private final byte[] buffer = new byte[64 * 1024];
      private int used;

      @Override
      public void write(byte[] line) throws IOException {
        if (used + line.length > buffer.length) {
          flush();
        }
        if (line.length > buffer.length) {
          out.write(line);
          return;
        }
        System.arraycopy(line, 0, buffer, used, line.length);
        used += line.length;
      }

      @Override
      public void flush() throws IOException {
        if (used > 0) {
          out.write(buffer, 0, used);
          used = 0;
        }
      }

      @Override
      public void close() throws IOException {
        flush();
      }

      @Override
      public String toString() {
        return "stdout";
      }
    };
  }
}
