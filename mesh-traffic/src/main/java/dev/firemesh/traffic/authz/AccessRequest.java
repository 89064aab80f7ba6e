package dev.firemesh.traffic.authz;

import java.util.List;
import java.util.Objects;

/**
 * What authorization looks at in a call.
 *
 * @param caller the verified caller, or {@link Caller#UNVERIFIED}
 * @param method the HTTP method as sent; {@code ""} for a tunnel
 * @param path the path in normal form ({@code dev.firemesh.api.path.RequestPaths#normalize}),
 *     without the query; {@code ""} for a tunnel
 * @param headers the request headers; {@link Headers#NONE} for a tunnel
 * @param portName the service port called, by name; {@code ""} if unknown
 * @param portNumber the service port called, by number; 0 if unknown
 */
public record AccessRequest(
    Caller caller, String method, String path, Headers headers, String portName, int portNumber) {

  public AccessRequest {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(portName, "portName");
  }

  /** A tunnel to a tcp port: only the caller and the port are known. */
  public static AccessRequest tunnel(Caller caller, String portName, int portNumber) {
    return new AccessRequest(caller, "", "", Headers.NONE, portName, portNumber);
  }

  /** The request's headers, read only when a rule has a condition on one. */
  @FunctionalInterface
  public interface Headers {
    Headers NONE = name -> List.of();

    /** Every value of the header, in order; empty if absent. */
    List<String> all(String lowerCaseName);
  }
}
