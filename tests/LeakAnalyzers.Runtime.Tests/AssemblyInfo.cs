using Xunit;

// Heap checks count objects and force collections: tests running side by side would see each other's objects.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
