package dev.firemesh.examples.trading.risk.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Where the risk book finds the limits in force; asked at every check. */
public interface LimitSource {
  Optional<Limit> of(String account);

  List<Limit> all();

  /** Fixed limits. */
  static LimitSource of(List<Limit> limits) {
    Map<String, Limit> byAccount =
        limits.stream().collect(Collectors.toUnmodifiableMap(Limit::account, Function.identity()));
    List<Limit> copy = List.copyOf(limits);
    return new LimitSource() {
      @Override
      public Optional<Limit> of(String account) {
        return Optional.ofNullable(byAccount.get(account));
      }

      @Override
      public List<Limit> all() {
        return copy;
      }
    };
  }
}
