package main

import (
	"context"
	"io"
)

func demoCommand(ctx context.Context, args []string, stdout io.Writer) error { return nil }
