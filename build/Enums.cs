enum Configuration { Debug, Release }

// Lowercase on purpose: these are the names users type (--stage dev) and the folder names under tf/.
#pragma warning disable IDE1006
enum Stage { dev, prod }
#pragma warning restore IDE1006
