package dev.firemesh.chassis.refdata.domain;

import dev.firemesh.chassis.refdata.InvalidReferenceDataException;
import dev.firemesh.chassis.refdata.standard.CurrencyCode;
import java.util.regex.Pattern;

/**
 * An account orders are placed for: who owns it, the currency its limits and P&amp;L are kept in,
 * whether it may trade, and its limits.
 *
 * @param accountId 3 to 32 upper-case letters, digits or hyphens, such as {@code ACC-0001}
 * @param owner the client or desk that owns it
 */
public record TradeAccount(
    String accountId,
    String owner,
    CurrencyCode baseCurrency,
    AccountStatus status,
    AccountLimits limits) {
  private static final Pattern ACCOUNT_ID = Pattern.compile("[A-Z0-9-]{3,32}");

  public TradeAccount {
    if (!ACCOUNT_ID.matcher(Fields.present(accountId, "accountId")).matches()) {
      throw new InvalidReferenceDataException(
          "accountId",
          "\"" + accountId + "\" is not 3 to 32 upper-case letters, digits or hyphens");
    }
    Fields.text(owner, "owner");
    Fields.present(baseCurrency, "baseCurrency");
    Fields.present(status, "status");
    Fields.present(limits, "limits");
  }
}
