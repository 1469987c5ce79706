#include "migcheck/schema/encode.hpp"

namespace migcheck::schema {
namespace {

using binary::Reader;
using binary::Writer;

// Bounds a count read back: each element takes at least one byte.
bool count(Reader& r, std::uint32_t& n) {
    n = r.u32();
    return r.ok() && n <= 100'000'000U;
}

void put(Writer& w, const std::optional<int>& v) {
    w.u32(v ? 1 : 0);
    w.i32(v.value_or(0));
}
void get(Reader& r, std::optional<int>& v) {
    bool has = r.u32() != 0;
    int x = r.i32();
    v = has ? std::optional<int>(x) : std::nullopt;
}
void put(Writer& w, const std::optional<std::string>& v) {
    w.u32(v ? 1 : 0);
    w.str(v.value_or(""));
}
void get(Reader& r, std::optional<std::string>& v) {
    bool has = r.u32() != 0;
    std::string s;
    r.str(s);
    v = has ? std::optional<std::string>(std::move(s)) : std::nullopt;
}
void put(Writer& w, const Location& l) {
    w.str(l.file);
    w.i32(l.line);
}
void get(Reader& r, Location& l) {
    r.str(l.file);
    l.line = r.i32();
}

void put(Writer& w, const Type& t) {
    w.i32(static_cast<int>(t.kind));
    put(w, t.length);
    put(w, t.precision);
    put(w, t.scale);
    w.u32(t.timezone ? 1 : 0);
    w.strs(t.enum_values);
    w.str(t.enum_name);
    w.str(t.declared);
}
void get(Reader& r, Type& t) {
    t.kind = static_cast<TypeKind>(r.i32());
    get(r, t.length);
    get(r, t.precision);
    get(r, t.scale);
    t.timezone = r.u32() != 0;
    r.strs(t.enum_values);
    r.str(t.enum_name);
    r.str(t.declared);
}

void put(Writer& w, const Column& c) {
    w.str(c.name);
    put(w, c.type);
    w.u32((c.nullable ? 1U : 0U) | (c.primary_key ? 2U : 0U) | (c.unique ? 4U : 0U) |
          (c.index ? 8U : 0U) | (c.autoincrement ? 16U : 0U) |
          (c.autoincrement.value_or(false) ? 32U : 0U) | (c.foreign_key ? 64U : 0U));
    put(w, c.server_default);
    if (c.foreign_key) {
        const ForeignKeyRef& f = *c.foreign_key;
        w.str(f.table);
        w.str(f.column);
        w.str(f.on_delete);
        w.str(f.on_update);
        w.str(f.name);
    }
    w.str(c.comment);
    w.str(c.renamed_from);
    put(w, c.where);
}
void get(Reader& r, Column& c) {
    r.str(c.name);
    get(r, c.type);
    std::uint32_t flags = r.u32();
    c.nullable = (flags & 1U) != 0;
    c.primary_key = (flags & 2U) != 0;
    c.unique = (flags & 4U) != 0;
    c.index = (flags & 8U) != 0;
    c.autoincrement = (flags & 16U) != 0 ? std::optional<bool>((flags & 32U) != 0) : std::nullopt;
    get(r, c.server_default);
    if ((flags & 64U) != 0) {
        ForeignKeyRef f;
        r.str(f.table);
        r.str(f.column);
        r.str(f.on_delete);
        r.str(f.on_update);
        r.str(f.name);
        c.foreign_key = std::move(f);
    }
    r.str(c.comment);
    r.str(c.renamed_from);
    get(r, c.where);
}

template <class T, class Put>
void put_list(Writer& w, const std::vector<T>& items, Put one) {
    w.u32(static_cast<std::uint32_t>(items.size()));
    for (const auto& x : items) {
        one(x);
    }
}
template <class T, class Get>
bool get_list(Reader& r, std::vector<T>& items, Get one) {
    std::uint32_t n = 0;
    if (!count(r, n)) {
        return false;
    }
    items.clear();
    for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
        items.emplace_back();
        one(items.back());
    }
    return r.ok();
}

void put(Writer& w, const Table& t) {
    w.str(t.name);
    put_list(w, t.columns, [&](const Column& c) { put(w, c); });
    put_list(w, t.indexes, [&](const Index& x) {
        w.str(x.name);
        w.strs(x.columns);
        w.u32(x.unique ? 1 : 0);
        put(w, x.where);
    });
    put_list(w, t.unique_constraints, [&](const UniqueConstraint& x) {
        w.str(x.name);
        w.strs(x.columns);
        put(w, x.where);
    });
    put_list(w, t.foreign_keys, [&](const ForeignKey& x) {
        w.str(x.name);
        w.strs(x.columns);
        w.str(x.referred_table);
        w.strs(x.referred_columns);
        w.str(x.on_delete);
        w.str(x.on_update);
        put(w, x.where);
    });
    w.u32(t.primary_key ? 1 : 0);
    if (t.primary_key) {
        w.str(t.primary_key->name);
        w.strs(t.primary_key->columns);
        put(w, t.primary_key->where);
    }
    w.str(t.comment);
    w.str(t.renamed_from);
    put(w, t.where);
}
void get(Reader& r, Table& t) {
    r.str(t.name);
    get_list(r, t.columns, [&](Column& c) { get(r, c); });
    get_list(r, t.indexes, [&](Index& x) {
        r.str(x.name);
        r.strs(x.columns);
        x.unique = r.u32() != 0;
        get(r, x.where);
    });
    get_list(r, t.unique_constraints, [&](UniqueConstraint& x) {
        r.str(x.name);
        r.strs(x.columns);
        get(r, x.where);
    });
    get_list(r, t.foreign_keys, [&](ForeignKey& x) {
        r.str(x.name);
        r.strs(x.columns);
        r.str(x.referred_table);
        r.strs(x.referred_columns);
        r.str(x.on_delete);
        r.str(x.on_update);
        get(r, x.where);
    });
    if (r.u32() != 0) {
        PrimaryKey pk;
        r.str(pk.name);
        r.strs(pk.columns);
        get(r, pk.where);
        t.primary_key = std::move(pk);
    }
    r.str(t.comment);
    r.str(t.renamed_from);
    get(r, t.where);
}

}  // namespace

void encode(Writer& w, const Schema& schema) {
    put_list(w, schema.tables, [&](const Table& t) { put(w, t); });
}

bool decode(Reader& r, Schema& schema) {
    return get_list(r, schema.tables, [&](Table& t) { get(r, t); }) && r.ok();
}

}  // namespace migcheck::schema
