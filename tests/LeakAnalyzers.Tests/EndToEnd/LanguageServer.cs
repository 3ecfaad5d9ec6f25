namespace LeakAnalyzers.Tests.EndToEnd;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using LeakAnalyzers.Tests.Infrastructure;

/// <summary>
/// A language server spoken to over stdio the way an editor does: JSON-RPC messages in <c>Content-Length</c> frames,
/// <c>initialize</c>, the documents opened and changed with their full text, and the diagnostics the server pushes
/// (<c>textDocument/publishDiagnostics</c>) collected as they come. It answers the server's <c>workspace/configuration</c>
/// requests with the settings it was given. Disposing it asks the server to shut down and then kills it and
/// everything it started (build hosts), whatever happened.
/// </summary>
internal sealed class LanguageServer : IDisposable
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    private readonly Process process;
    private readonly Stream input;
    private readonly JsonObject settings;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> pending = new();
    private readonly List<Publication> publications = new();
    private readonly StringBuilder errorOutput = new();
    private readonly Task reader;
    private int nextId;

    private LanguageServer(Process process, JsonObject settings)
    {
        this.process = process;
        this.settings = settings;
        this.input = process.StandardInput.BaseStream;
        process.ErrorDataReceived += (_, e) =>
        {
            lock (this.errorOutput)
            {
                this.errorOutput.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        this.reader = Task.Run(this.ReadAsync);
    }

    /// <summary>Every diagnostics publication so far, oldest first.</summary>
    internal IReadOnlyList<Publication> Publications
    {
        get
        {
            lock (this.publications)
            {
                return this.publications.ToList();
            }
        }
    }

    /// <summary>
    /// Starts <c>dotnet <paramref name="serverAssembly"/></c> in <paramref name="workingDirectory"/>; the server's
    /// <c>workspace/configuration</c> requests get <paramref name="settings"/> (section name to settings object).
    /// </summary>
    internal static LanguageServer Start(string serverAssembly, string workingDirectory, IReadOnlyDictionary<string, string> environment, JsonObject settings)
    {
        var startInfo = ProcessRunner.StartInfo(
            ProcessRunner.DotnetHost,
            [serverAssembly],
            workingDirectory,
            ProcessRunner.DotnetEnvironment(environment));
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {serverAssembly}.");
        return new LanguageServer(process, settings);
    }

    /// <summary><c>initialize</c> with <paramref name="root"/> as the one workspace folder, then <c>initialized</c> and the settings.</summary>
    internal async Task InitializeAsync(string root, TimeSpan timeout)
    {
        var uri = Uri(root);
        await this.RequestAsync(
            "initialize",
            new JsonObject
            {
                ["processId"] = Environment.ProcessId,
                ["rootUri"] = uri,
                ["workspaceFolders"] = new JsonArray(new JsonObject { ["uri"] = uri, ["name"] = Path.GetFileName(root) }),
                ["capabilities"] = new JsonObject
                {
                    // No textDocument.diagnostic: a client without pull diagnostics gets them pushed.
                    ["workspace"] = new JsonObject { ["configuration"] = true, ["workspaceFolders"] = true },
                    ["textDocument"] = new JsonObject
                    {
                        ["synchronization"] = new JsonObject { ["didSave"] = false },
                        ["publishDiagnostics"] = new JsonObject { ["relatedInformation"] = false },
                    },
                },
            },
            timeout).ConfigureAwait(false);
        this.Notify("initialized", new JsonObject());
        this.Notify("workspace/didChangeConfiguration", new JsonObject { ["settings"] = this.settings.DeepClone() });
    }

    internal void Open(string path, string text) =>
        this.Notify("textDocument/didOpen", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = Uri(path), ["languageId"] = "csharp", ["version"] = 1, ["text"] = text },
        });

    /// <summary>Replaces the whole text of an open document, as <paramref name="version"/>.</summary>
    internal void Change(string path, int version, string text) =>
        this.Notify("textDocument/didChange", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = Uri(path), ["version"] = version },
            ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = text }),
        });

    /// <summary>
    /// The first publication for <paramref name="path"/> after the first <paramref name="after"/> publications that
    /// satisfies <paramref name="accept"/>; fails with what the server published and logged when none comes in time.
    /// </summary>
    internal async Task<Publication> WaitForAsync(string path, int after, Func<Publication, bool> accept, TimeSpan timeout, string what)
    {
        var uri = Uri(path);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var found = this.Publications.Skip(after).FirstOrDefault(p => p.Uri == uri && accept(p));
            if (found is not null)
            {
                return found;
            }

            if (stopwatch.Elapsed > timeout || this.reader.IsCompleted)
            {
                throw new TimeoutException($"No publication {what} for {path} within {timeout.TotalSeconds:0} s{(this.reader.IsCompleted ? " (the server's output ended)" : string.Empty)}. {this.Describe()}");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>What the server published and wrote to stderr, for a failing assertion.</summary>
    internal string Describe()
    {
        var published = string.Join("\n", this.Publications.Select(p => $"  {p.Uri}: {string.Join("; ", p.Diagnostics.Select(d => d.ToString()))}"));
        string log;
        lock (this.errorOutput)
        {
            log = this.errorOutput.ToString();
        }

        return $"Published:\n{published}\nServer log (last 4,000 characters):\n{(log.Length > 4000 ? log.Substring(log.Length - 4000) : log)}";
    }

    public void Dispose()
    {
        try
        {
            if (!this.process.HasExited)
            {
                var shutdown = this.RequestAsync("shutdown", null, ShutdownTimeout);
                if (shutdown.Wait(ShutdownTimeout))
                {
                    this.Notify("exit", null);
                    this.process.WaitForExit((int)ShutdownTimeout.TotalMilliseconds);
                }
            }
        }
        catch (Exception e) when (e is IOException or AggregateException or InvalidOperationException or ObjectDisposedException)
        {
            // The server is gone or not answering; it is killed below.
        }
        finally
        {
            try
            {
                // The server's build hosts are its children: the whole tree goes.
                this.process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It has exited.
            }

            this.process.WaitForExit();
            this.process.Dispose();
        }
    }

    private static string Uri(string path) => new Uri(path).AbsoluteUri;

    private Task<JsonElement> RequestAsync(string method, JsonNode? parameters, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref this.nextId);
        var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        this.pending[id] = completion;
        this.Send(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        return completion.Task.WaitAsync(timeout);
    }

    private void Notify(string method, JsonNode? parameters) =>
        this.Send(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    private void Send(JsonObject message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        lock (this.input)
        {
            this.input.Write(header);
            this.input.Write(body);
            this.input.Flush();
        }
    }

    private async Task ReadAsync()
    {
        var output = this.process.StandardOutput.BaseStream;
        try
        {
            while (await ReadMessageAsync(output).ConfigureAwait(false) is { } message)
            {
                this.Handle(message.RootElement);
            }
        }
        catch (IOException)
        {
            // The server went away; waiting callers see the reader complete.
        }
        finally
        {
            foreach (var completion in this.pending.Values)
            {
                completion.TrySetException(new IOException("The language server's output ended. " + this.Describe()));
            }
        }
    }

    private void Handle(JsonElement message)
    {
        var hasId = message.TryGetProperty("id", out var id);
        if (message.TryGetProperty("method", out var methodElement))
        {
            var method = methodElement.GetString();
            if (hasId)
            {
                // A request from the server: settings for workspace/configuration, an empty answer for the rest.
                this.Send(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = JsonNode.Parse(id.GetRawText()), ["result"] = method == "workspace/configuration" ? this.Configuration(message) : null });
            }
            else if (method == "textDocument/publishDiagnostics")
            {
                var parameters = message.GetProperty("params");
                var publication = new Publication(
                    parameters.GetProperty("uri").GetString()!,
                    parameters.GetProperty("diagnostics").EnumerateArray().Select(LspDiagnostic.From).ToList());
                lock (this.publications)
                {
                    this.publications.Add(publication);
                }
            }
        }
        else if (hasId && id.ValueKind == JsonValueKind.Number && this.pending.TryRemove(id.GetInt32(), out var completion))
        {
            if (message.TryGetProperty("error", out var error))
            {
                completion.TrySetException(new InvalidOperationException("The language server answered with an error: " + error.GetRawText()));
            }
            else
            {
                completion.TrySetResult(message.TryGetProperty("result", out var result) ? result.Clone() : default);
            }
        }
    }

    private JsonArray Configuration(JsonElement request)
    {
        var answer = new JsonArray();
        foreach (var item in request.GetProperty("params").GetProperty("items").EnumerateArray())
        {
            var section = item.TryGetProperty("section", out var name) ? name.GetString() : null;
            answer.Add(section is not null && this.settings[section] is { } value ? value.DeepClone() : null);
        }

        return answer;
    }

    /// <summary>One message: <c>Content-Length</c> headers, a blank line, the JSON body; null at the end of the stream.</summary>
    private static async Task<JsonDocument?> ReadMessageAsync(Stream stream)
    {
        var length = -1;
        while (true)
        {
            var line = await ReadLineAsync(stream).ConfigureAwait(false);
            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                break;
            }

            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line.Substring("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        if (length < 0)
        {
            throw new IOException("A message from the language server had no Content-Length.");
        }

        var body = new byte[length];
        await stream.ReadExactlyAsync(body).ConfigureAwait(false);
        return JsonDocument.Parse(body);
    }

    /// <summary>A header line without its CR LF; null at the end of the stream.</summary>
    private static async Task<string?> ReadLineAsync(Stream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one).ConfigureAwait(false) == 0)
            {
                return bytes.Count == 0 ? null : throw new IOException("The language server's output ended inside a header.");
            }

            if (one[0] == (byte)'\n')
            {
                return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r');
            }

            bytes.Add(one[0]);
        }
    }
}

/// <summary>One <c>textDocument/publishDiagnostics</c>: the document and its diagnostics at that moment.</summary>
internal sealed record Publication(string Uri, IReadOnlyList<LspDiagnostic> Diagnostics);

/// <summary>A diagnostic as LSP carries it: code, zero-based range (end exclusive) and message.</summary>
internal sealed record LspDiagnostic(string Code, int StartLine, int StartCharacter, int EndLine, int EndCharacter, string Message)
{
    internal static LspDiagnostic From(JsonElement diagnostic)
    {
        var range = diagnostic.GetProperty("range");
        var start = range.GetProperty("start");
        var end = range.GetProperty("end");
        var code = diagnostic.TryGetProperty("code", out var c) ? (c.ValueKind == JsonValueKind.String ? c.GetString()! : c.GetRawText()) : string.Empty;
        return new LspDiagnostic(
            code,
            start.GetProperty("line").GetInt32(),
            start.GetProperty("character").GetInt32(),
            end.GetProperty("line").GetInt32(),
            end.GetProperty("character").GetInt32(),
            diagnostic.GetProperty("message").GetString()!);
    }

    public override string ToString() => $"{this.Code} ({this.StartLine},{this.StartCharacter})-({this.EndLine},{this.EndCharacter}) {this.Message}";
}
