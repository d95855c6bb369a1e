"""Post-visit feedback: question bank (data), visits and answers, routing, pattern detection."""
