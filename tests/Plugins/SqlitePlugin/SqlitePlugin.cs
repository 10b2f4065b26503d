using Microsoft.Data.Sqlite;
using TestApi;

namespace SqlitePlugin;

/// <summary>Uses a package with a native library (e_sqlite3 under runtimes/&lt;rid&gt;/native).</summary>
public sealed class SqlitePlugin : ILedgerPlugin
{
    public string Name => "sqlite";

    public LedgerEntry Create(decimal amount, string memo) => new(amount, memo);

    public void Apply(Ledger ledger)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE t(a REAL); INSERT INTO t VALUES (1.5), (2.5); SELECT SUM(a) FROM t;";
        ledger.Add(new LedgerEntry(Convert.ToDecimal(command.ExecuteScalar()), "sum from sqlite"));
    }

    public string Describe()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        return connection.ServerVersion;
    }
}
