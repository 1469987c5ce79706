// The ops reader where it stops: what it does not interpret, and why.
#include "test_ops_reader_support.hpp"
TEST_CASE("ops reader: batch_alter_table arguments migcheck cannot follow") {
    Body schema = stopped_upgrade("    op.drop_table('a')\n"
                                  "    with op.batch_alter_table('t', schema='audit') as b:\n"
                                  "        b.drop_column('x')\n",
                                  1);
    check_stop(schema, 7, 5, "the schema of op.batch_alter_table() is not None");
    Body copy = stopped_upgrade(
        "    with op.batch_alter_table('t', copy_from=users) as b:\n        pass\n", 0);
    check_stop(copy, 6, 5, "the copy_from= argument of op.batch_alter_table()");
    Body name = stopped_upgrade("    with op.batch_alter_table(TABLE) as b:\n        pass\n", 0);
    check_stop(name, 6, 5, "the table name of op.batch_alter_table() is not a string literal");
}

TEST_CASE("ops reader: a stop inside a batch block keeps what the block queued") {
    Body b = stopped_upgrade("    with op.batch_alter_table('t') as batch_op:\n"
                             "        batch_op.drop_column('x')\n"
                             "        batch_op.create_check_constraint('ck', 'x > 0')\n",
                             1);
    check_stop(b, 8, 9, "batch_op.create_check_constraint()");
    CHECK(as<DropColumn>(b.operations[0]).column == "x");
}

TEST_CASE("ops reader: a for loop") {
    Body b = stopped_upgrade("    op.drop_table('a')\n"
                             "    for name in ('b', 'c'):\n"
                             "        op.drop_table(name)\n",
                             1);
    check_stop(b, 7, 5, "a for loop");
    CHECK(as<DropTable>(b.operations[0]).table == "a");
}

TEST_CASE("ops reader: if, try and while statements") {
    check_stop(stopped_upgrade("    if True:\n        pass\n", 0), 6, 5, "an if statement");
    check_stop(stopped_upgrade("    try:\n        pass\n    except Exception:\n        pass\n", 0),
               6, 5, "a try statement");
    check_stop(stopped_upgrade("    while False:\n        pass\n", 0), 6, 5, "a while loop");
}

TEST_CASE("ops reader: helper calls") {
    check_stop(stopped_upgrade("    helper()\n", 0), 6, 5, "a call of helper()");
    check_stop(stopped_upgrade("    pass; utils.seed(op)\n", 0), 6, 11, "a call of utils.seed()");
}

TEST_CASE("ops reader: op.get_bind() anywhere in a statement") {
    check_stop(stopped_upgrade("    conn = op.get_bind()\n", 0), 6, 5, "a call of op.get_bind()");
    check_stop(stopped_upgrade("    op.get_bind().execute(sa.text('SELECT 1'))\n", 0), 6, 5,
               "a call of op.get_bind()");
}

TEST_CASE("ops reader: op.bulk_insert() and other operations migcheck does not read") {
    Body b = stopped_upgrade(
        "    op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True))\n"
        "    op.bulk_insert(t, [{'id': 1}])\n",
        1);
    check_stop(b, 7, 5, "op.bulk_insert()");
    check_stop(stopped_upgrade("    op.create_check_constraint('ck', 't', 'a > 0')\n", 0), 6, 5,
               "op.create_check_constraint()");
}

TEST_CASE("ops reader: assignments and other statements") {
    check_stop(stopped_upgrade("    users = sa.table('users', sa.column('id'))\n", 0), 6, 5,
               "an assignment");
    check_stop(stopped_upgrade("    n: int = 1\n", 0), 6, 5, "an assignment");
    check_stop(stopped_upgrade("    n += 1\n", 0), 6, 5, "an augmented assignment");
    check_stop(stopped_upgrade("    return None\n", 0), 6, 5, "a return statement with a value");
    check_stop(stopped_upgrade("    raise NotImplementedError()\n", 0), 6, 5, "a raise statement");
    check_stop(stopped_upgrade("    op\n", 0), 6, 5, "an expression statement");
    check_stop(stopped_upgrade("    with open('x') as f:\n        pass\n", 0), 6, 5,
               "a with statement that is not op.batch_alter_table()");
}

TEST_CASE("ops reader: a table name that is not a literal") {
    check_stop(stopped_upgrade("    op.drop_table(TABLE)\n", 0), 6, 5,
               "the table name of op.drop_table() is not a string literal");
    check_stop(stopped_upgrade("    op.drop_table(f'{prefix}_users')\n", 0), 6, 5,
               "the table name of op.drop_table() is an f-string");
    check_stop(stopped_upgrade("    op.create_index('ix', 'users', columns)\n", 0), 6, 5,
               "the columns of op.create_index() are not a list");
    check_stop(stopped_upgrade("    op.execute(f'DROP TABLE {name}')\n", 0), 6, 5,
               "the SQL of op.execute() is an f-string");
    check_stop(stopped_upgrade("    op.execute(users.update().values(a=1))\n", 0), 6, 5,
               "the SQL of op.execute() is not a string literal or text()");
    check_stop(stopped_upgrade("    op.drop_column('users')\n", 0), 6, 5,
               "op.drop_column() without its column name");
}

TEST_CASE("ops reader: unknown keywords, schemas and unpacked arguments") {
    check_stop(
        stopped_upgrade("    op.add_column('users', sa.Column('a', sa.Integer()), foo=1)\n", 0), 6,
        5, "an unknown keyword argument foo= of op.add_column()");
    check_stop(stopped_upgrade("    op.create_table('t', schema='audit')\n", 0), 6, 5,
               "the schema of op.create_table() is not None");
    check_stop(stopped_upgrade("    op.create_table('t', *columns)\n", 0), 6, 5,
               "an unpacked argument of op.create_table()");
    check_stop(stopped_upgrade("    op.drop_table('t', None, 'extra')\n", 0), 6, 5,
               "an extra positional argument of op.drop_table()");
    check_stop(stopped_upgrade("    op.create_index('ix', 'users', ['a'], unique=flag)\n", 0), 6, 5,
               "unique= of op.create_index() is not True or False");
}

TEST_CASE("ops reader: a Column or constraint the models reader cannot read") {
    check_stop(stopped_upgrade("    op.create_table('t', sa.Column('a', MyType()))\n", 0), 6, 5,
               "cannot read column `t.a`: its type `MyType()` is not a SQLAlchemy type migcheck "
               "knows");
    check_stop(
        stopped_upgrade("    op.add_column('t', sa.Column('a', sa.ForeignKey('u.id')))\n", 0), 6, 5,
        "cannot read column `t.a`: it has no type of its own");
    check_stop(stopped_upgrade("    op.create_table('t', sa.Column('a', sa.Integer()),\n"
                               "                    sa.UniqueConstraint(cols))\n",
                               0),
               6, 5,
               "cannot read `sa.UniqueConstraint(...)` of table `t`: `cols` is not a column name");
    check_stop(stopped_upgrade("    op.add_column('t', 'a')\n", 0), 6, 5,
               "the column of op.add_column() is not a Column() call");
    check_stop(
        stopped_upgrade("    op.alter_column('t', 'a', server_default=sa.func.date('x'))\n", 0), 6,
        5,
        "server_default= of op.alter_column(): `sa.func.date(...)` is not a string, text(), "
        "or a func call without arguments");
}

TEST_CASE("ops reader: a file that does not parse stops both bodies at the error") {
    RevisionOps r = read("from alembic import op\n\ndef upgrade():\n    op.drop_table('a'\n\n"
                         "def downgrade():\n    pass\n");
    CHECK(r.upgrade.operations.empty());
    check_stop(r.upgrade, 4, 18, "'(' was never closed");
    check_stop(r.downgrade, 4, 18, "'(' was never closed");
}

TEST_CASE("ops reader: the later of two definitions counts, and an aliased op") {
    RevisionOps r = read("from alembic import op as alembic_op\n"
                         "def upgrade():\n    alembic_op.drop_table('first')\n"
                         "def upgrade():\n    alembic_op.drop_table('second')\n");
    const auto& ops = ops_of(r.upgrade);
    REQUIRE(ops.size() == 1);
    CHECK(as<DropTable>(ops[0]).table == "second");
    CHECK(ops[0].where == schema::Location{path, 5});
}
