package dev.firemesh.examples.trading.orders.domain;

public enum Side {
  BUY,
  SELL
}
