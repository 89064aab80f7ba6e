package dev.firemesh.traffic.config;

/** One route: when {@code match} accepts a request, {@code action} says where it goes and how. */
public record RouteEntry(String name, RequestMatch match, RouteAction action) {}
