package dev.firemesh.api.identity;

/**
 * What an authorization rule may name callers by: one identity exactly ({@code
 * spiffe://prod.bank/env/prod/svc/gateway}), every identity of a trust domain ({@code
 * spiffe://prod.bank/*}) or of one environment ({@code spiffe://prod.bank/env/prod/*}). A prefix
 * ends at a {@code /}, so {@code spiffe://prod.bank/*} never matches {@code
 * spiffe://prod.bank.evil/...}.
 */
public final class SpiffeIdPattern {
  private SpiffeIdPattern() {}

  public static boolean isValid(String pattern) {
    if (!pattern.endsWith("/*")) {
      return SpiffeId.parse(pattern).isPresent();
    }
    if (!pattern.startsWith(SpiffeId.SCHEME_PREFIX)) {
      return false;
    }
    String[] parts =
        pattern.substring(SpiffeId.SCHEME_PREFIX.length(), pattern.length() - 2).split("/", -1);
    return switch (parts.length) {
      case 1 -> SpiffeId.isTrustDomain(parts[0]);
      case 3 ->
          SpiffeId.isTrustDomain(parts[0]) && parts[1].equals("env") && SpiffeId.isLabel(parts[2]);
      default -> false;
    };
  }
}
