/**
 * The reference data of a trading platform as validated domain records: {@link
 * dev.firemesh.chassis.refdata.domain.Venue venues}, {@link
 * dev.firemesh.chassis.refdata.domain.Instrument instruments} and {@link
 * dev.firemesh.chassis.refdata.domain.TradeAccount trade accounts}; their JSON form and indexes as
 * {@link dev.firemesh.chassis.refdata.domain.ReferenceSets}, and a realistic {@link
 * dev.firemesh.chassis.refdata.domain.ReferenceSeed seed}. A record that breaks a standard or a
 * range cannot be constructed: the constructor throws {@link
 * dev.firemesh.chassis.refdata.InvalidReferenceDataException} naming the field. Knows nothing of
 * the change log, the feed or replicas.
 */
package dev.firemesh.chassis.refdata.domain;
