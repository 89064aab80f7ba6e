package dev.firemesh.chassis.http;

/**
 * Business logic for one route. It runs on a virtual thread of its own and may block. An exception
 * it throws becomes a 500 (logged with the trace id), never a dropped connection; {@link HttpError}
 * becomes its status and message.
 */
@FunctionalInterface
public interface HttpHandler {
  HttpResponse handle(HttpRequest request) throws Exception;
}
