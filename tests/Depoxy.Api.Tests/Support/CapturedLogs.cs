using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Depoxy.Api.Tests.Support;

public sealed record LogLine(string Category, LogLevel Level, string EventName, string Message);

/// <summary>Keeps every line the API logs beside its JSON console, so tests can read what an operator would.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(new LogLine(category, logLevel, eventId.Name ?? "", formatter(state, exception)));
    }
}
