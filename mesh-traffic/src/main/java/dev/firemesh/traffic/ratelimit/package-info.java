/**
 * Local rate limiting: token buckets that a service's own sidecar (and later the chassis) keeps for
 * the calls it receives, per rule and per caller or for the whole instance.
 *
 * <p>{@link dev.firemesh.traffic.ratelimit.RateLimiter} holds the rules in force and their buckets;
 * a request asks it for the first rule that matches and takes a token from that rule's bucket.
 * Buckets are lock-free ({@link dev.firemesh.traffic.ratelimit.TokenBucket}: one CAS on a long of
 * nanoseconds), so any number of event loops may share them, and taking a token allocates nothing.
 * Nothing here knows HTTP status codes, headers or Netty.
 */
package dev.firemesh.traffic.ratelimit;
