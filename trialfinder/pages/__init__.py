"""Pages: language negotiation, site texts, sitemap and error pages."""
