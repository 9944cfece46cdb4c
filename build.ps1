# Windows twin of build.sh: checks the SDK pinned by global.json, rebuilds the build project only when its
# sources changed, then runs it with every argument passed through. The exit code is the build's.
$ErrorActionPreference = 'Stop'
$Root = $PSScriptRoot
$Temp = Join-Path $Root '.nuke/temp'
$Bin = Join-Path $Temp 'bin'
$Stamp = Join-Path $Temp 'build.stamp'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

function Test-Stale {
    if (-not (Test-Path $Stamp) -or -not (Test-Path (Join-Path $Bin '_build.dll'))) { return $true }
    $since = (Get-Item $Stamp).LastWriteTimeUtc
    $sources = @('build', 'src') | ForEach-Object { Get-ChildItem (Join-Path $Root $_) -Recurse -File } |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' }
    $sources += @('Directory.Build.props', 'Directory.Packages.props', 'global.json') | ForEach-Object { Get-Item (Join-Path $Root $_) }
    return [bool]($sources | Where-Object { $_.LastWriteTimeUtc -gt $since } | Select-Object -First 1)
}

if (Test-Stale) {
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
    & dotnet build (Join-Path $Root 'build/_build.csproj') -c Release -o $Bin --nologo -v quiet -clp:ErrorsOnly
    if ($LASTEXITCODE -ne 0) { Write-Error 'build.ps1: the build project does not compile (errors above)'; exit 1 }
    Set-Content $Stamp ''
    (Get-Item $Stamp).LastWriteTime = $started
}

& dotnet (Join-Path $Bin '_build.dll') @args
exit $LASTEXITCODE
