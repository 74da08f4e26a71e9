package dev.switchboard.migration.schema;

import java.util.Set;

/** The PostgreSQL types (pg_type.typname) the migration accepts for a column. */
public enum ColumnKind {
    ID(Set.of("uuid", "text", "varchar")),
    TEXT(Set.of("text", "varchar", "bpchar")),
    BOOLEAN(Set.of("bool")),
    TIMESTAMP(Set.of("timestamptz", "timestamp")),
    NUMBER(Set.of("int2", "int4", "int8", "numeric", "float4", "float8")),
    INTEGER(Set.of("int2", "int4", "int8", "numeric")),
    TEXT_ARRAY(Set.of("_text", "_varchar"));

    private final Set<String> typeNames;

    ColumnKind(Set<String> typeNames) {
        this.typeNames = typeNames;
    }

    public boolean accepts(String typeName) {
        return typeNames.contains(typeName);
    }

    public String describe() {
        return String.join(" or ", typeNames.stream().sorted().toList());
    }
}
