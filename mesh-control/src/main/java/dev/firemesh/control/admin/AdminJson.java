package dev.firemesh.control.admin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The admin API's JSON, for both ends of the wire. Decimals are read as {@link
 * java.math.BigDecimal} and kept exactly as written: a Config value {@code 50000000.00} must come
 * back as {@code 50000000.00}, not as the double {@code 5.0E7}.
 */
public final class AdminJson {
  private AdminJson() {}

  /** A new mapper (mappers are mutable, so each user gets its own). */
  public static ObjectMapper mapper() {
    return JsonMapper.builder()
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
        .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
        .build();
  }
}
