namespace LeakAnalyzers.Tool.Tests;

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

/// <summary>
/// The packages as a user gets them: dotnet-leaks packs and installs from a local folder and reads the sample
/// service; LeakAnalyzers.Runtime brings no Azure or identity library into a test project that references it.
/// Each test packs the already built project (--no-build) into a folder of its own, with a private NuGet cache.
/// </summary>
public sealed class PackagingTests
{
    private static readonly string[] IdentityStack = { "Azure.", "Microsoft.Identity.", "Microsoft.IdentityModel.", "System.ClientModel" };

    [Fact]
    public void The_tool_packs_installs_from_a_local_folder_and_reads_a_running_service()
    {
        using var folder = new TempFolder();
        Run("dotnet", $"pack \"{Path.Combine(Repository.Root, "src", "LeakAnalyzers.Tool")}\" -c {Repository.Configuration} --no-build -o \"{folder.File("feed")}\"", folder);
        Assert.Single(Directory.GetFiles(folder.File("feed"), "LeakAnalyzers.Tool.*.nupkg"));

        Run("dotnet", $"tool install LeakAnalyzers.Tool --tool-path \"{folder.File("tools")}\" --add-source \"{folder.File("feed")}\"", folder);
        string tool = folder.File(Path.Combine("tools", OperatingSystem.IsWindows() ? "dotnet-leaks.exe" : "dotnet-leaks"));
        Assert.True(File.Exists(tool), "the tool's command is installed");

        // No identity stack inside the tool either.
        string store = folder.File(Path.Combine("tools", ".store"));
        Assert.DoesNotContain(Directory.GetFiles(store, "*.dll", SearchOption.AllDirectories), f => IdentityStack.Any(p => Path.GetFileName(f).StartsWith(p, StringComparison.Ordinal)));

        using ChildProcess service = ChildProcess.StartService("leaky");
        (int code, string output) = Run(tool, $"snapshot -p {service.Id} --filter LeakyService -o \"{folder.File("s.json")}\"", folder);
        Assert.Equal(0, code);
        Assert.Contains("QuoteWidget", output);
        Assert.True(File.Exists(folder.File("s.json")));
    }

    [Fact]
    public void The_runtime_package_brings_no_identity_stack_into_a_test_project_and_works_there()
    {
        using var folder = new TempFolder();
        Run("dotnet", $"pack \"{Path.Combine(Repository.Root, "src", "LeakAnalyzers.Runtime")}\" -c {Repository.Configuration} --no-build -o \"{folder.File("feed")}\"", folder);
        string package = Assert.Single(Directory.GetFiles(folder.File("feed"), "LeakAnalyzers.Runtime.*.nupkg"));
        using (var zip = System.IO.Compression.ZipFile.OpenRead(package))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("lib/net8.0/LeakAnalyzers.Runtime.dll", entries);
            Assert.Contains("lib/net8.0/Microsoft.Diagnostics.Runtime.dll", entries);
        }

        string project = folder.File("consumer");
        Directory.CreateDirectory(project);
        string version = Path.GetFileNameWithoutExtension(package)["LeakAnalyzers.Runtime.".Length..];
        File.WriteAllText(Path.Combine(project, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>disable</ImplicitUsings>
                <NoWarn>NU1603</NoWarn>
                <RestorePackagesPath>{folder.File("packages")}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="LeakAnalyzers.Runtime" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            using System;
            using System.Collections.Generic;
            using LeakAnalyzers.Runtime;

            public static class Program
            {
                public static readonly List<Program.Item> Items = new();

                public static int Main()
                {
                    for (int i = 0; i < 42; i++)
                    {
                        Items.Add(new Item());
                    }

                    HeapSnapshot snapshot = HeapSnapshot.Take(HeapFilter.Namespace("Consumer").Or(HeapFilter.Where(n => n.StartsWith("Program", StringComparison.Ordinal))));
                    Console.WriteLine("ITEMS " + snapshot.CountOf(typeof(Item)));
                    Console.WriteLine("PATH " + RetentionPath.Find(Items[41])!.Root);
                    return 0;
                }

                public sealed class Item
                {
                }
            }
            """);
        File.WriteAllText(Path.Combine(project, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <add key="local" value="{folder.File("feed")}" />
              </packageSources>
            </configuration>
            """);

        // The registry's sources stay configured (the machine's NuGet.Config) for ClrMD's remaining dependencies.
        Run("dotnet", $"build \"{project}\" -c Release", folder);
        using (JsonDocument assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "obj", "project.assets.json"))))
        {
            var libraries = assets.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToList();
            Assert.Contains(libraries, l => l.StartsWith("LeakAnalyzers.Runtime/", StringComparison.Ordinal));
            Assert.DoesNotContain(libraries, l => IdentityStack.Any(p => l.StartsWith(p, StringComparison.Ordinal)));
            Assert.DoesNotContain(libraries, l => l.StartsWith("Microsoft.Diagnostics.Runtime/", StringComparison.Ordinal));
        }

        string output = Path.Combine(project, "bin", "Release", "net10.0");
        Assert.DoesNotContain(Directory.GetFiles(output, "*.dll"), f => IdentityStack.Any(p => Path.GetFileName(f).StartsWith(p, StringComparison.Ordinal)));
        Assert.True(File.Exists(Path.Combine(output, "Microsoft.Diagnostics.Runtime.dll")));

        (int code, string text) = Run("dotnet", $"\"{Path.Combine(output, "Consumer.dll")}\"", folder, allowFailure: true);
        Assert.True(code == 0, text);
        Assert.Contains("ITEMS 42", text);
        Assert.Contains("PATH static Program.Items", text);
        Assert.DoesNotContain("[createdump]", text);
    }

    private static (int Code, string Output) Run(string file, string arguments, TempFolder folder, bool allowFailure = false)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder.Path,
        };
        start.Environment["NUGET_PACKAGES"] = folder.File("packages");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        using Process process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(300_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{file} {arguments}' did not finish in 5 minutes.");
        }

        process.WaitForExit();
        string output = stdout.Result + stderr.Result;
        if (!allowFailure)
        {
            Assert.True(process.ExitCode == 0, $"'{file} {arguments}' exited with {process.ExitCode}:\n{output}");
        }

        return (process.ExitCode, output);
    }
}
