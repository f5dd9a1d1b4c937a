package com.example.images;

import io.jvmpool.api.Args;
import io.jvmpool.api.Output;
import io.jvmpool.api.Outputs;
import io.jvmpool.api.Task;
import java.util.List;

/** A labelled training image per row of a CSV: a shape's name (text) and its size in pixels. */
public class ImageTask implements Task {

    // What it writes, each in its own dtype: --outputs can be left out.
    @Override
    public List<Output> outputs() {
        return List.of(Output.scalar("label", "int64"), Output.of("image", "uint8", 64, 64, 3),
                Output.of("mask", "bool", 64, 64), Output.scalar("area", "float16"));
    }

    @Override
    public void compute(long index, Args args, Outputs out) {
        String shape = args.getString(0);                 // a text column: circle or square
        int size = (int) args.getLong(1);
        byte[] image = new byte[64 * 64 * 3];              // uint8: a byte's 8 bits, (byte) 200 is 200
        boolean[] mask = new boolean[64 * 64];
        int inside = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int dx = x - 32;
                int dy = y - 32;
                boolean in = shape.equals("circle") ? dx * dx + dy * dy <= size * size : Math.abs(dx) <= size && Math.abs(dy) <= size;
                mask[y * 64 + x] = in;
                inside += in ? 1 : 0;
                image[(y * 64 + x) * 3] = (byte) (in ? 200 : 20);
                image[(y * 64 + x) * 3 + 1] = (byte) (in ? 100 : 20);
                image[(y * 64 + x) * 3 + 2] = (byte) (index * 40);
            }
        }
        out.set(0, shape.equals("circle") ? 1L : 0L);
        out.set(1, image, 64, 64, 3);
        out.set(2, mask, 64, 64);
        out.set(3, inside / 4096.0);
    }
}
