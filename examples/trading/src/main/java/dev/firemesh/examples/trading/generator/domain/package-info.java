/**
 * A realistic order flow: mostly valid limit orders priced off the latest quotes, in sizes of a few
 * thousand to a hundred and fifty thousand in the instrument's currency, both sides, on every open
 * account; and a small share of orders that a desk must reject, one of each kind, so the rejections
 * show. Pure logic; the random source is passed in.
 */
package dev.firemesh.examples.trading.generator.domain;
