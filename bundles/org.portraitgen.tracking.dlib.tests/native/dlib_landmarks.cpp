// The reference for the Java shape predictor: dlib itself (Debian libdlib-dev) on the same frames and boxes.
// Usage: dlib_landmarks MODEL LIST
//   LIST: one line per face, "FRAME.ppm LEFT TOP RIGHT BOTTOM" (a binary PPM, P6, 8-bit; dlib's inclusive box),
//         or "FRAME.ppm detect" to use dlib's HOG frontal face detector (the largest face) instead.
// Prints per line: the box used, then x y of every part, as dlib's full_object_detection holds them (integers).
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/serialize.h>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

static void read_ppm(const std::string& path, dlib::array2d<dlib::rgb_pixel>& img) {
    std::ifstream in(path, std::ios::binary);
    std::string magic;
    long w = 0, h = 0, maxval = 0;
    in >> magic >> w >> h >> maxval;
    if (!in || magic != "P6" || w <= 0 || h <= 0 || maxval != 255) throw std::runtime_error(path + ": not an 8-bit P6 PPM");
    in.get();
    img.set_size(h, w);
    for (long y = 0; y < h; ++y)
        for (long x = 0; x < w; ++x) {
            unsigned char px[3];
            if (!in.read(reinterpret_cast<char*>(px), 3)) throw std::runtime_error(path + ": truncated");
            img[y][x] = dlib::rgb_pixel(px[0], px[1], px[2]);
        }
}

int main(int argc, char** argv) {
    if (argc != 3) { std::cerr << "usage: dlib_landmarks MODEL LIST\n"; return 2; }
    try {
        dlib::shape_predictor sp;
        dlib::deserialize(argv[1]) >> sp;
        dlib::frontal_face_detector detector;
        bool have_detector = false;
        std::ifstream list(argv[2]);
        std::string line;
        while (std::getline(list, line)) {
            if (line.empty()) continue;
            std::istringstream fields(line);
            std::string frame, first;
            fields >> frame >> first;
            dlib::array2d<dlib::rgb_pixel> img;
            read_ppm(frame, img);
            dlib::rectangle box;
            if (first == "detect") {
                if (!have_detector) { detector = dlib::get_frontal_face_detector(); have_detector = true; }
                std::vector<dlib::rectangle> faces = detector(img);
                if (faces.empty()) { std::cout << "none\n"; continue; }
                box = faces[0];
                for (auto& f : faces) if (f.area() > box.area()) box = f;
            } else {
                long top, right, bottom;
                fields >> top >> right >> bottom;
                box = dlib::rectangle(std::stol(first), top, right, bottom);
            }
            dlib::full_object_detection shape = sp(img, box);
            std::cout << box.left() << ' ' << box.top() << ' ' << box.right() << ' ' << box.bottom();
            for (unsigned long i = 0; i < shape.num_parts(); ++i)
                std::cout << ' ' << shape.part(i).x() << ' ' << shape.part(i).y();
            std::cout << '\n';
        }
    } catch (std::exception& e) {
        std::cerr << e.what() << '\n';
        return 1;
    }
    return 0;
}
