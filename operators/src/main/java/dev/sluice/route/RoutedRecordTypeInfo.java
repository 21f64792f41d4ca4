package dev.sluice.route;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.lang.reflect.Type;
import java.util.Map;

/**
 * The type information of {@link RoutedRecord}, found through its {@code @TypeInfo} annotation
 * wherever Flink extracts the type: it serializes with {@link RoutedRecordSerializer}.
 */
public final class RoutedRecordTypeInfo extends TypeInformation<RoutedRecord> {

    private static final long serialVersionUID = 1L;

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<RoutedRecord> getTypeClass() {
        return RoutedRecord.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<RoutedRecord> createSerializer(SerializerConfig config) {
        return RoutedRecordSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "RoutedRecord";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoutedRecordTypeInfo;
    }

    @Override
    public int hashCode() {
        return RoutedRecordTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof RoutedRecordTypeInfo;
    }

    /** What the annotation names. */
    public static final class Factory extends TypeInfoFactory<RoutedRecord> {
        @Override
        public TypeInformation<RoutedRecord> createTypeInfo(
                Type type, Map<String, TypeInformation<?>> genericParameters) {
            return new RoutedRecordTypeInfo();
        }
    }
}
