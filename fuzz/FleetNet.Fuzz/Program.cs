using FleetNet.Fuzz;
using SharpFuzz;

// fleetnet-fuzz TARGET --corpus DIR...   every file of each DIR through TARGET; exit 1 on the first crash
// fleetnet-fuzz TARGET --afl             serve afl-fuzz (SharpFuzz out-of-process forkserver)
// fleetnet-fuzz seeds DIR                write the starting corpus of every target under DIR
// fleetnet-fuzz --list                   the targets this build has, one a line
if (args is ["--list"])
{
    Console.WriteLine(string.Join('\n', FuzzTargets.Names));
    return 0;
}

if (args is ["seeds", var corpus])
{
    FuzzSeeds.Write(corpus);
    return 0;
}

if (args.Length < 2)
{
    Console.Error.WriteLine($"usage: fleetnet-fuzz TARGET (--corpus DIR... | --afl); targets: {string.Join(", ", FuzzTargets.Names)}");
    return 2;
}

var name = args[0];
if (args[1] == "--afl")
{
    // Instrumented code may only run inside Run, once SharpFuzz has mapped AFL's coverage memory.
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        FuzzTargets.Get(name)(buffer.ToArray());
    });
    return 0;
}

var target = FuzzTargets.Get(name);

var inputs = 0;
foreach (var directory in args[1..])
{
    if (directory == "--corpus")
    {
        continue;
    }

    foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
    {
        try
        {
            target(File.ReadAllBytes(file));
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"fleetnet-fuzz: {args[0]}: {file} crashes the target:\n{e}");
            return 1;
        }

        inputs++;
    }
}

Console.WriteLine($"fleetnet-fuzz: {args[0]}: {inputs} inputs, no crash");
return inputs == 0 ? 1 : 0;
