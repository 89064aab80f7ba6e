package dev.firemesh.xds.translate;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.List;
import java.util.Map;

/**
 * A plain protobuf message as a {@link Struct} and back, field names as in the proto (snake_case),
 * so that a message can ride in xDS metadata, which holds only Structs. Covers what a route match
 * holds: nested messages, strings, booleans, enums by name, numbers and repeated fields; maps,
 * {@code Any} and bytes are refused. Reading back is strict: an unknown field or a value of the
 * wrong type is an {@link IllegalArgumentException} naming the field.
 *
 * <p>Chosen over protobuf's JSON printer so that the sidecar loads no JSON machinery to read it.
 */
public final class ProtoStruct {
  private ProtoStruct() {}

  public static Struct of(Message message) {
    Struct.Builder struct = Struct.newBuilder();
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      FieldDescriptor descriptor = field.getKey();
      if (descriptor.isMapField()) {
        throw new IllegalArgumentException("map fields are not supported: " + descriptor);
      }
      Value value;
      if (descriptor.isRepeated()) {
        ListValue.Builder list = ListValue.newBuilder();
        for (Object item : (List<?>) field.getValue()) {
          list.addValues(value(descriptor, item));
        }
        value = Value.newBuilder().setListValue(list).build();
      } else {
        value = value(descriptor, field.getValue());
      }
      struct.putFields(descriptor.getName(), value);
    }
    return struct.build();
  }

  private static Value value(FieldDescriptor descriptor, Object value) {
    Value.Builder out = Value.newBuilder();
    return switch (descriptor.getJavaType()) {
      case MESSAGE -> out.setStructValue(of((Message) value)).build();
      case STRING -> out.setStringValue((String) value).build();
      case BOOLEAN -> out.setBoolValue((Boolean) value).build();
      case ENUM -> out.setStringValue(((EnumValueDescriptor) value).getName()).build();
      case INT, LONG, FLOAT, DOUBLE -> out.setNumberValue(((Number) value).doubleValue()).build();
      case BYTE_STRING ->
          throw new IllegalArgumentException("bytes fields are not supported: " + descriptor);
    };
  }

  /**
   * Fills {@code builder} from {@code struct}.
   *
   * @param path where the struct is, for messages
   * @throws IllegalArgumentException naming the field that does not fit the message
   */
  public static <B extends Message.Builder> B read(Struct struct, B builder, String path) {
    for (Map.Entry<String, Value> entry : struct.getFieldsMap().entrySet()) {
      String at = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
      FieldDescriptor descriptor = builder.getDescriptorForType().findFieldByName(entry.getKey());
      if (descriptor == null || descriptor.isMapField()) {
        throw new IllegalArgumentException(at + ": unknown field");
      }
      Value value = entry.getValue();
      if (descriptor.isRepeated()) {
        if (!value.hasListValue()) {
          throw new IllegalArgumentException(at + ": expected a list");
        }
        List<Value> items = value.getListValue().getValuesList();
        for (int i = 0; i < items.size(); i++) {
          builder.addRepeatedField(
              descriptor, fieldValue(builder, descriptor, items.get(i), at + "[" + i + "]"));
        }
      } else {
        builder.setField(descriptor, fieldValue(builder, descriptor, value, at));
      }
    }
    return builder;
  }

  private static Object fieldValue(
      Message.Builder builder, FieldDescriptor descriptor, Value value, String at) {
    switch (descriptor.getJavaType()) {
      case MESSAGE -> {
        expect(value.hasStructValue(), at, "a mapping");
        return read(value.getStructValue(), builder.newBuilderForField(descriptor), at).build();
      }
      case STRING -> {
        expect(value.hasStringValue(), at, "a string");
        return value.getStringValue();
      }
      case BOOLEAN -> {
        expect(value.hasBoolValue(), at, "true or false");
        return value.getBoolValue();
      }
      case ENUM -> {
        expect(value.hasStringValue(), at, "an enum name");
        EnumValueDescriptor constant =
            descriptor.getEnumType().findValueByName(value.getStringValue());
        expect(constant != null, at, "one of " + descriptor.getEnumType().getValues());
        return constant;
      }
      case INT, LONG, FLOAT, DOUBLE -> {
        expect(value.hasNumberValue(), at, "a number");
        double number = value.getNumberValue();
        return switch (descriptor.getJavaType()) {
          case INT -> (int) number;
          case LONG -> (long) number;
          case FLOAT -> (float) number;
          default -> number;
        };
      }
      default -> throw new IllegalArgumentException(at + ": bytes fields are not supported");
    }
  }

  private static void expect(boolean holds, String at, String expected) {
    if (!holds) {
      throw new IllegalArgumentException(at + ": expected " + expected);
    }
  }
}
