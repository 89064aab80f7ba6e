/**
 * A simulated market: each listing's mid price walks in whole ticks around its reference price,
 * quoted with a spread of one to three ticks and sizes in round lots. Pure logic; randomness and
 * clock are passed in.
 */
package dev.firemesh.examples.trading.marketdata.domain;
