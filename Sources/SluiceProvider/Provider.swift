// HTTP layer
