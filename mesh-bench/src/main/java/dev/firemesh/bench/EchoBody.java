package dev.firemesh.bench;

/** What the {@link EchoServer} answers with. */
public sealed interface EchoBody {

  /** The request's own body, back. */
  record Echo() implements EchoBody {}

  /** A body of {@code bytes} bytes whatever was asked, to measure responses of a set size. */
  record Fixed(int bytes) implements EchoBody {
    public Fixed {
      if (bytes < 0) {
        throw new IllegalArgumentException("response size must be 0 bytes or more, was " + bytes);
      }
    }
  }
}
