package dev.firemesh.traffic.locality;

import static dev.firemesh.traffic.locality.LocalityPreference.Proximity.ELSEWHERE;
import static dev.firemesh.traffic.locality.LocalityPreference.Proximity.SAME_REGION;
import static dev.firemesh.traffic.locality.LocalityPreference.Proximity.SAME_ZONE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class LocalityPreferenceTest {
  private static final Locality EU_A = new Locality("eu-west", "a");
  private static final Locality EU_B = new Locality("eu-west", "b");
  private static final Locality US_A = new Locality("us-east", "a");
  private static final Locality NOWHERE = Locality.UNKNOWN;

  @Example
  void ownZoneThenOwnRegionThenAnywhere() {
    LocalityPreference caller = new LocalityPreference(EU_A);
    assertThat(caller.proximity(EU_A)).isEqualTo(SAME_ZONE);
    assertThat(caller.proximity(EU_B)).isEqualTo(SAME_REGION);
    // Zone "a" of another region is another place.
    assertThat(caller.proximity(US_A)).isEqualTo(ELSEWHERE);
    assertThat(caller.proximity(NOWHERE)).isEqualTo(ELSEWHERE);
    assertThat(caller.priorities(List.of(US_A, EU_B, EU_A, NOWHERE)))
        .isEqualTo(Map.of(EU_A, 0, EU_B, 1, US_A, 2, NOWHERE, 2));
  }

  @Example
  void levelsWithoutEndpointsAreSkippedSoPrioritiesHaveNoGaps() {
    LocalityPreference caller = new LocalityPreference(EU_A);
    assertThat(caller.priorities(List.of(EU_B, US_A))).isEqualTo(Map.of(EU_B, 0, US_A, 1));
    assertThat(caller.priorities(List.of(EU_A, US_A))).isEqualTo(Map.of(EU_A, 0, US_A, 1));
    assertThat(caller.priorities(List.of(US_A))).isEqualTo(Map.of(US_A, 0));
  }

  @Example
  void aCallerThatDoesNotSayWhereItIsPrefersNothing() {
    assertThat(new LocalityPreference(NOWHERE).priorities(List.of(EU_A, EU_B, US_A)))
        .isEqualTo(Map.of(EU_A, 0, EU_B, 0, US_A, 0));
  }

  @Example
  void aCallerWithARegionButNoZonePrefersItsRegion() {
    assertThat(new LocalityPreference(new Locality("eu-west", "")).priorities(List.of(EU_A, US_A)))
        .isEqualTo(Map.of(EU_A, 0, US_A, 1));
  }

  @Property(tries = 200)
  void prioritiesStartAtZeroHaveNoGapsAndFollowProximity(
      @ForAll @IntRange(max = 3) int callerRegion,
      @ForAll @IntRange(max = 3) int callerZone,
      @ForAll @Size(min = 1, max = 8) List<@IntRange(max = 15) Integer> places) {
    LocalityPreference caller = new LocalityPreference(place(callerRegion, callerZone));
    List<Locality> present = new ArrayList<>();
    for (int p : places) {
      present.add(place(p / 4, p % 4));
    }
    Map<Locality, Integer> priorities = caller.priorities(present);

    TreeSet<Integer> levels = new TreeSet<>(priorities.values());
    assertThat(levels.first()).isZero();
    assertThat(levels.last()).isEqualTo(levels.size() - 1);
    for (Locality x : present) {
      for (Locality y : present) {
        int byProximity = caller.proximity(x).compareTo(caller.proximity(y));
        assertThat(Integer.signum(priorities.get(x).compareTo(priorities.get(y))))
            .as("%s against %s", x, y)
            .isEqualTo(Integer.signum(byProximity));
      }
    }
  }

  /** Region 0 and zone 0 mean "not said". */
  private static Locality place(int region, int zone) {
    return new Locality(region == 0 ? "" : "r" + region, zone == 0 ? "" : "z" + zone);
  }
}
