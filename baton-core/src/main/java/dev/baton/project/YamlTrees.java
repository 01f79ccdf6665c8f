package dev.baton.project;

import dev.baton.api.SourceLocation;
import dev.baton.yaml.YamlValue;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A compact binary form of a parsed YAML file, for the parse cache; locations keep line and column. */
final class YamlTrees {
    private static final int SCALAR = 0;
    private static final int NULL = 1;
    private static final int SEQUENCE = 2;
    private static final int MAPPING = 3;

    private YamlTrees() {}

    static void write(DataOutputStream out, YamlValue value) throws IOException {
        if (value instanceof YamlValue.Scalar scalar) {
            out.writeByte(scalar.isNull() ? NULL : SCALAR);
            writeLocation(out, scalar.location());
            if (!scalar.isNull()) {
                Binary.writeString(out, scalar.text());
                out.writeBoolean(scalar.quoted());
            }
        } else if (value instanceof YamlValue.Sequence sequence) {
            out.writeByte(SEQUENCE);
            writeLocation(out, sequence.location());
            out.writeInt(sequence.items().size());
            for (YamlValue item : sequence.items()) {
                write(out, item);
            }
        } else {
            YamlValue.Mapping mapping = (YamlValue.Mapping) value;
            out.writeByte(MAPPING);
            writeLocation(out, mapping.location());
            out.writeInt(mapping.entries().size());
            for (Map.Entry<String, YamlValue> entry : mapping.entries().entrySet()) {
                Binary.writeString(out, entry.getKey());
                writeLocation(out, mapping.keyLocation(entry.getKey()));
                write(out, entry.getValue());
            }
        }
    }

    static YamlValue read(DataInputStream in, String file) throws IOException {
        int kind = in.readByte();
        SourceLocation location = readLocation(in, file);
        switch (kind) {
            case NULL -> {
                return new YamlValue.Scalar(null, false, location);
            }
            case SCALAR -> {
                String text = Binary.readString(in);
                return new YamlValue.Scalar(text, in.readBoolean(), location);
            }
            case SEQUENCE -> {
                int size = in.readInt();
                List<YamlValue> items = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    items.add(read(in, file));
                }
                return new YamlValue.Sequence(items, location);
            }
            case MAPPING -> {
                int size = in.readInt();
                Map<String, YamlValue> entries = new LinkedHashMap<>();
                Map<String, SourceLocation> keyLocations = new LinkedHashMap<>();
                for (int i = 0; i < size; i++) {
                    String key = Binary.readString(in);
                    keyLocations.put(key, readLocation(in, file));
                    entries.put(key, read(in, file));
                }
                return new YamlValue.Mapping(entries, keyLocations, location);
            }
            default -> throw new IOException("corrupt parse cache: unknown YAML node kind " + kind);
        }
    }

    private static void writeLocation(DataOutputStream out, SourceLocation location) throws IOException {
        out.writeInt(location.line());
        out.writeShort(location.column());
    }

    private static SourceLocation readLocation(DataInputStream in, String file) throws IOException {
        return new SourceLocation(file, in.readInt(), in.readShort());
    }
}
