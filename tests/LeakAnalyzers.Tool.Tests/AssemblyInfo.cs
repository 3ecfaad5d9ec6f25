using Xunit;

// The tests start child processes and attach to them; the machine has two cores, and each attach suspends a process.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
