# Windows twin of build.sh: checks the SDK pinned by global.json, rebuilds the build project only when its
# sources changed, then runs it with every argument passed through. The exit code is the build's.
$ErrorActionPreference = 'Stop'
$Root = $PSScriptRoot
$Temp = Join-Path $Root '.nuke/temp'
$Bin = Join-Path $Temp 'bin'
$Stamp = Join-Path $Temp 'build.stamp'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

# The build's sources, one relative '/' path a line, sorted: the stamp holds this list, so an added, deleted or
# renamed file counts as a change though it leaves no newer file behind. Files only: a folder's time changes when
# the first compile creates obj/ and bin/ in it, which is no change of the sources.
function Get-Sources {
    $files = @('build', 'src') | ForEach-Object { Get-ChildItem (Join-Path $Root $_) -Recurse -File } |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' }
    $files += @('Directory.Build.props', 'Directory.Packages.props', 'global.json') | ForEach-Object { Get-Item (Join-Path $Root $_) }
    return $files
}

function Get-SourceList($files) {
    return ($files | ForEach-Object { [IO.Path]::GetRelativePath($Root, $_.FullName).Replace('\', '/') } | Sort-Object -CaseSensitive) -join "`n"
}

# Why the build project must be compiled; empty when the last compile is current.
function Get-StaleReason {
    if (-not (Test-Path $Stamp) -or -not (Test-Path (Join-Path $Bin '_build.dll'))) { return 'first run, 30 s-2 min' }
    $since = (Get-Item $Stamp).LastWriteTimeUtc
    $files = Get-Sources
    $changed = $files | Where-Object { $_.LastWriteTimeUtc -gt $since } | Select-Object -First 1
    if ($changed) { return "$([IO.Path]::GetRelativePath($Root, $changed.FullName)) changed" }
    if ((Get-SourceList $files) -ne (Get-Content $Stamp -Raw).TrimEnd("`n")) { return 'files added or removed' }
    return ''
}

$reason = Get-StaleReason
if ($reason) {
    $required = (Get-Content (Join-Path $Root 'global.json') | ConvertFrom-Json).sdk.version
    if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
        Write-Error "build.ps1: dotnet not found on PATH: install the .NET SDK $required (see global.json) from https://dot.net"
        exit 1
    }
    Push-Location $Root
    & dotnet --version *> $null
    $sdkOk = $LASTEXITCODE -eq 0
    Pop-Location
    if (-not $sdkOk) {
        Write-Error "build.ps1: the .NET SDK $required or a later feature band of it (global.json) is not installed"
        exit 1
    }
    New-Item -ItemType Directory -Force $Temp | Out-Null
    $started = Get-Date
    $list = Get-SourceList (Get-Sources)
    [Console]::Error.WriteLine("build.ps1: Compiling the build project ($reason)...")
    & dotnet build (Join-Path $Root 'build/_build.csproj') -c Release -o $Bin --nologo -v quiet -clp:ErrorsOnly
    if ($LASTEXITCODE -ne 0) { Write-Error 'build.ps1: the build project does not compile (errors above)'; exit 1 }
    Set-Content $Stamp $list -NoNewline
    # The stamp's time is the compile's start, so a source saved during it still counts as newer next time.
    (Get-Item $Stamp).LastWriteTime = $started
}

& dotnet (Join-Path $Bin '_build.dll') @args
exit $LASTEXITCODE
