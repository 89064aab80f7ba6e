/**
 * The standards reference data is written in: ISINs (ISO 6166), market identifier codes (ISO
 * 10383), CFI codes (ISO 10962), currencies (ISO 4217) and countries (ISO 3166-1). Each is a record
 * whose constructor refuses a value that cannot exist, so a held value is always valid; {@code
 * parse} says what was wrong with {@link
 * dev.firemesh.chassis.refdata.standard.InvalidCodeException}. The code lists are embedded, so
 * every process agrees on them whatever its JVM.
 */
package dev.firemesh.chassis.refdata.standard;
