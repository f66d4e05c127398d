using System.CommandLine;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.PreCall;

namespace SimpleAi.Cli.Commands;

/// <summary>
/// <c>contacts import &lt;file.csv&gt;</c>: upserts contacts for the pre-call lookup, <see cref="Parallelism"/> at a
/// time in a sliding window (a new upsert starts as soon as one ends). Each contact is its own partition (so lookups
/// spread over Table partitions), which leaves no partition for an entity group transaction to batch in.
/// </summary>
internal static class ContactsCommand
{
    private const int Parallelism = 32;

    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("file") { Description = "A CSV file whose header row names the fields; one column holds the phone number." };
        var phoneColumn = new Option<string>("--phone-column") { Description = "The phone number's column.", DefaultValueFactory = _ => "phone" };
        var countryCode = new Option<string>("--country-code") { Description = "Country code for numbers written without one.", DefaultValueFactory = _ => "1" };
        var settings = CliOptions.Settings();
        var import = new Command("import", """
            Import contacts for the pre-call lookup: the phone column is normalised to E.164, the other columns become the contact's parameters. Bad rows are reported with their line numbers and skipped; importing again updates (upsert).
            Example: simpleai-webhooks contacts import customers.csv --phone-column mobile
            """)
        {
            file, phoneColumn, countryCode, settings,
        };
        import.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new UsageException($"no file '{path}'");
            }

            var storage = CliSettings.Load(parse.GetValue(settings), console);
            var store = new ContactStore(storage.Tables());
            var (imported, skipped) = await CliStorage.Call(storage, () => ImportAsync(
                path, parse.GetValue(phoneColumn)!, parse.GetValue(countryCode)!, store, console, cancellationToken));
            console.Out.WriteLine($"imported {imported} contact(s), skipped {skipped} row(s)");
            return ExitCodes.Ok;
        });
        return new Command("contacts", "Manage the contacts the pre-call lookup answers from.") { import };
    }

    private static async Task<(int Imported, int Skipped)> ImportAsync(
        string path, string phoneColumn, string countryCode, ContactStore store, CliConsole console, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path);
        using var records = CsvReader.Read(reader).GetEnumerator();
        if (!records.MoveNext())
        {
            throw new UsageException($"'{path}' is empty: it needs a header row");
        }

        var header = records.Current.Fields.Select(h => h.Trim()).ToList();
        var phone = header.FindIndex(h => string.Equals(h, phoneColumn, StringComparison.OrdinalIgnoreCase));
        if (phone < 0)
        {
            throw new UsageException($"the header has no '{phoneColumn}' column (it has: {string.Join(", ", header)}); use --phone-column");
        }

        if (header.FirstOrDefault(h => !System.Text.RegularExpressions.Regex.IsMatch(h, "^[A-Za-z_][A-Za-z0-9_]{0,254}$")) is { } bad)
        {
            throw new UsageException($"column '{bad}' is not a usable field name (letters, digits and _, not starting with a digit)");
        }

        var imported = 0;
        var skipped = 0;
        var inFlight = new HashSet<Task>();
        while (records.MoveNext())
        {
            var (line, fields) = records.Current;
            if (fields.Count != header.Count)
            {
                skipped++;
                console.Error.WriteLine($"line {line}: {fields.Count} fields, the header has {header.Count}; skipped");
                continue;
            }

            if (PhoneNumbers.ToE164(fields[phone], countryCode) is not { } e164)
            {
                skipped++;
                console.Error.WriteLine($"line {line}: '{fields[phone]}' is not a phone number; skipped");
                continue;
            }

            var contact = header.Select((name, i) => (name, value: fields[i]))
                .Where(f => f.name.Length > 0 && !string.Equals(f.name, header[phone], StringComparison.Ordinal) && f.value.Length > 0)
                .ToDictionary(f => f.name, f => f.value, StringComparer.Ordinal);
            inFlight.Add(store.UpsertAsync(e164, contact, cancellationToken));
            if (inFlight.Count >= Parallelism)
            {
                var done = await Task.WhenAny(inFlight);
                inFlight.Remove(done);
                await done;
            }

            if (++imported % 5000 == 0)
            {
                console.Error.WriteLine($"imported {imported} contacts…");
            }
        }

        await Task.WhenAll(inFlight);
        return (imported, skipped);
    }
}
