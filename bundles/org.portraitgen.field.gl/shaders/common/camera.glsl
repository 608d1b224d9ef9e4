// Mirrors CameraBlock.java (std430): world-to-camera rotation rows, translation, pinhole intrinsics, sizes.
struct Camera {
    vec4 rotation[3];
    vec4 translation;
    vec4 intrinsics;   // fx, fy, cx, cy (pixel centres at integer coordinates, as OpenCV)
    uvec4 size;        // width, height, tilesX, tilesY
};
