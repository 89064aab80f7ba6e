package dev.firemesh.xds.client;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.time.Duration;
import java.util.Set;

/** Reading proto fields with the path of each field at hand, for errors that say where. */
final class ProtoFields {
  private ProtoFields() {}

  /**
   * Fails on the first field set in {@code message} that is not in {@code understood}: a field the
   * decoder does not read changes behaviour the data plane would not honour, so it is refused
   * rather than dropped. Fields known to be harmless to ignore belong in {@code understood} too.
   */
  static void only(Message message, String path, Set<String> understood) throws FieldProblem {
    for (FieldDescriptor field : message.getAllFields().keySet()) {
      if (!understood.contains(field.getName())) {
        throw new FieldProblem(
            at(path, field.getName()), "not supported by the FireMesh data plane");
      }
    }
  }

  static String at(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  static String at(String path, String field, int index) {
    return at(path, field) + "[" + index + "]";
  }

  /** A non-negative duration. */
  static Duration duration(com.google.protobuf.Duration value, String path) throws FieldProblem {
    if (value.getSeconds() < 0 || value.getNanos() < 0 || value.getNanos() > 999_999_999) {
      throw new FieldProblem(path, "not a non-negative duration: " + value);
    }
    return Duration.ofSeconds(value.getSeconds(), value.getNanos());
  }

  /** An unsigned 32-bit value, saturated at {@link Integer#MAX_VALUE}. */
  static int uint32(int value) {
    return (int) Math.min(Integer.toUnsignedLong(value), Integer.MAX_VALUE);
  }

  static int uint32(UInt32Value value) {
    return uint32(value.getValue());
  }

  /** A fractional percent as a percentage, 0 to 100. */
  static double percent(FractionalPercent fraction, String path) throws FieldProblem {
    double denominator =
        switch (fraction.getDenominator()) {
          case HUNDRED -> 100;
          case TEN_THOUSAND -> 10_000;
          case MILLION -> 1_000_000;
          case UNRECOGNIZED -> throw new FieldProblem(at(path, "denominator"), "unknown value");
        };
    return Math.min(100, Integer.toUnsignedLong(fraction.getNumerator()) * 100 / denominator);
  }

  /** Unpacks a typed config, failing with the type it holds if it is not {@code type}. */
  static <T extends Message> T unpack(Any any, Class<T> type, String path) throws FieldProblem {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new FieldProblem(
          path,
          "cannot unpack "
              + (any.getTypeUrl().isEmpty() ? "an untyped value" : any.getTypeUrl())
              + " as "
              + type.getSimpleName()
              + ": "
              + e.getMessage());
    }
  }
}
