enum Configuration { Debug, Release }

// Lowercase on purpose: these are the names users type (--stage dev) and the folder names under tf/.
#pragma warning disable IDE1006
enum Stage { dev, prod }
#pragma warning restore IDE1006

/// <summary>Where ChooseRelease takes the release from: the commit's package, --from's release, or what the stage runs.</summary>
enum ReleaseSource { Package, Promotion, Current }
