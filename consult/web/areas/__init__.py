"""What people see: one module per area of the site, each with its Controller and thin
handlers (respond, designer, campaigns, results, deck, polls…)."""
