"""Letters as documents: the template catalog, the render context, rendering, checks, PDF conversion."""
