package dev.firemesh.proxy.forward;

import dev.firemesh.proxy.http.RequestHead;

/** A request head with its target, travelling to the {@link ExchangeHandler}. */
public record RoutedRequest(RequestHead head, Target target) {}
