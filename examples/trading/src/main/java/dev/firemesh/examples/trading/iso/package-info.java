/**
 * The ISO identifiers every trading service speaks: ISINs (ISO 6166), CFI codes (ISO 10962) and
 * market identifier codes (ISO 10383). Values that cannot exist are refused at construction, so a
 * held value is always well formed.
 */
package dev.firemesh.examples.trading.iso;
