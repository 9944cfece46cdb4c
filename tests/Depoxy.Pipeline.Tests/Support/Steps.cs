using System.Diagnostics;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Depoxy.Pipeline.Tests.Support;

/// <summary>The place of a test in a scenario whose tests run in order, each one step on what the steps before it left.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StepAttribute(int number) : Attribute
{
    public int Number { get; } = number;
}

/// <summary>Runs a class's tests in the order of their <see cref="StepAttribute"/>.</summary>
public sealed class StepOrderer : ITestCaseOrderer
{
    public const string TypeName = "Depoxy.Pipeline.Tests.Support.StepOrderer";
    public const string AssemblyName = "Depoxy.Pipeline.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(test => test.TestMethod.Method.GetCustomAttributes(typeof(StepAttribute).AssemblyQualifiedName).Single().GetConstructorArguments().Single());
}

/// <summary>
/// The steps of one scenario, so each reports alone: a step runs only when every step before it passed, and says
/// which one did not otherwise; each writes how long it took.
/// </summary>
public sealed class ScenarioSteps
{
    private string? _failed;

    public async Task RunAsync(string step, ITestOutputHelper output, Func<Task> body)
    {
        if (_failed is not null)
            Assert.Fail($"not run: the earlier step '{_failed}' failed, and this one builds on what it leaves");
        var clock = Stopwatch.StartNew();
        try
        {
            await body();
        }
        catch
        {
            _failed = step;
            throw;
        }
        finally
        {
            output.WriteLine($"{step}: {clock.Elapsed.TotalSeconds:0.0} s");
        }
    }
}
