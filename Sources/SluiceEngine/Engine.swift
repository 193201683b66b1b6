// The compute engine: queues, sandboxes and job lifecycle. Built in its own issue.
