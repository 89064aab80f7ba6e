package dev.firemesh.api.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class SpiffeIdTest {

  @Test
  void parsesTheMeshShapeAndPrintsItBack() {
    SpiffeId id = SpiffeId.parse("spiffe://bank.example/env/prod/svc/orders").orElseThrow();
    assertThat(id).isEqualTo(new SpiffeId("bank.example", "prod", "orders"));
    assertThat(id.toString()).isEqualTo("spiffe://bank.example/env/prod/svc/orders");
    assertThat(id.trustDomainId()).isEqualTo("spiffe://bank.example");
  }

  @Test
  void refusesEverySpellingThatCouldAliasAnotherIdentity() {
    for (String text :
        new String[] {
          "spiffe://bank.example/env/prod/svc/orders/",
          "spiffe://bank.example/env/prod/svc/Orders",
          "spiffe://Bank.example/env/prod/svc/orders",
          "spiffe://bank.example/env/prod/svc/%6frders",
          "spiffe://bank.example/env/prod/../prod/svc/orders",
          "spiffe://bank.example//env/prod/svc/orders",
          "spiffe://bank.example:443/env/prod/svc/orders",
          "spiffe://user@bank.example/env/prod/svc/orders",
          "spiffe://bank.example/env/prod/svc/orders?x=1",
          "spiffe://bank.example/env/prod/svc/orders#f",
          "SPIFFE://bank.example/env/prod/svc/orders",
          "https://bank.example/env/prod/svc/orders",
          "spiffe:///env/prod/svc/orders",
          "spiffe://bank.example/svc/orders",
          "spiffe://bank.example/env/-prod/svc/orders",
        }) {
      assertThat(SpiffeId.parse(text)).as(text).isEmpty();
    }
  }

  @Test
  void constructorNamesTheBadPart() {
    assertThatThrownBy(() -> new SpiffeId("bank", "prod", "Orders"))
        .hasMessageContaining("service");
    assertThatThrownBy(() -> new SpiffeId("bank/x", "prod", "orders"))
        .hasMessageContaining("trust domain");
  }

  @Property
  void parseNeverThrowsAndRoundTrips(@ForAll @StringLength(max = 80) String text) {
    SpiffeId.parse(text).ifPresent(id -> assertThat(id.toString()).isEqualTo(text));
  }
}
