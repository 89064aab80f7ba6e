package dev.firemesh.examples.trading.orders.domain;

/** What orders needs to know of an account, from reference data. */
public record TradingAccount(String id, boolean open) {}
