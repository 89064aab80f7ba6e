package dev.firemesh.chassis.refdata.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.chassis.refdata.ReferenceSet;
import dev.firemesh.chassis.refdata.standard.CurrencyCode;
import java.math.BigDecimal;
import java.util.Map;
import java.util.function.Function;

/** Trade accounts keyed by account id, indexed by base currency and by owner. */
final class TradeAccounts implements ReferenceSet<TradeAccount> {
  @Override
  public String name() {
    return "accounts";
  }

  @Override
  public String keyOf(TradeAccount value) {
    return value.accountId();
  }

  @Override
  public JsonNode toJson(TradeAccount account) {
    ObjectNode json = ReferenceSets.NODES.objectNode();
    json.put("accountId", account.accountId());
    json.put("owner", account.owner());
    json.put("baseCurrency", account.baseCurrency().code());
    json.put("status", account.status().name());
    ObjectNode limits = json.putObject("limits");
    limits.put("maxOrderNotional", account.limits().maxOrderNotional());
    limits.put("maxPosition", account.limits().maxPosition());
    limits.put("dailyLossLimit", account.limits().dailyLossLimit());
    return json;
  }

  @Override
  public TradeAccount fromJson(JsonNode json) {
    JsonFields fields = JsonFields.of(json);
    JsonFields limits = fields.object("limits");
    BigDecimal maxOrderNotional = limits.decimal("maxOrderNotional");
    long maxPosition = limits.whole("maxPosition");
    BigDecimal dailyLossLimit = limits.decimal("dailyLossLimit");
    AccountLimits accountLimits =
        limits.build(() -> new AccountLimits(maxOrderNotional, maxPosition, dailyLossLimit));
    return fields.build(
        () ->
            new TradeAccount(
                fields.text("accountId"),
                fields.text("owner"),
                fields.code("baseCurrency", CurrencyCode::parse),
                fields.option("status", AccountStatus.class),
                accountLimits));
  }

  @Override
  public Map<String, Function<TradeAccount, String>> indexes() {
    return Map.of(
        "currency", account -> account.baseCurrency().code(), "owner", TradeAccount::owner);
  }

  @Override
  public String toString() {
    return name();
  }
}
