using System.Diagnostics;
using Depoxy.Testing;

namespace Depoxy.Aws.Tests;

/// <summary>
/// The emulator's read-back stand-in (src/Depoxy.Emulator/moto/read_back.py), seen through botocore, which validates
/// each request against AWS's service model and parses each answer by it: what Terraform writes comes back as written.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ReadBackStandInTests(MotoServer moto)
{
    [Fact]
    public async Task CloudFront_Lambda_and_S3_lifecycle_reads_answer_with_what_was_sent_in_AWSs_shape()
    {
        var start = new ProcessStartInfo("python3")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "TestData", "read_back_check.py"), moto.Endpoint.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var python = Process.Start(start)!;
        var output = python.StandardOutput.ReadToEndAsync();
        var error = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(python.ExitCode == 0, $"{await output}{await error}");
        Assert.Equal("read back as sent", (await output).Trim());
    }
}
